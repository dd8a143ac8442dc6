// The blob service with its seeded bug switched on (flag firstReadOnly).
import { makeBlobService } from "./blob_service.ts";
export { contract } from "./blob_service.ts";
export default makeBlobService({ firstReadOnly: true });
