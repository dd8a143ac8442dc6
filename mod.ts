/**
 * pagersim: deterministic simulation and fuzz testing for the Zircon pager.
 *
 * A scenario (pagers, VMOs, faulting threads, services, environment events)
 * and a seed go in; a trace with a stable hash and a verdict come out. The
 * same (scenario, decision list) replays the same run on any machine.
 *
 * @example
 * ```ts
 * import { DEFAULT_SCENARIO, parseScenario, runScenario } from "./mod.ts";
 * const run = runScenario(parseScenario(DEFAULT_SCENARIO), { seed: 42, strategy: "pct" });
 * console.log(run.verdict.kind, run.traceHash);
 * const again = runScenario(parseScenario(DEFAULT_SCENARIO), { decisions: run.decisions });
 * console.assert(again.traceHash === run.traceHash);
 * ```
 *
 * A kernel variant (`--kernel PATH`; README, "Writing a kernel variant") is a `Kernel` subclass
 * that overrides one step through a seam: here each pager VMO's {@linkcode PageSource} is built
 * by `createPageSource`, and the variant's overrides one of its steps.
 *
 * @example
 * ```ts
 * import {
 *   DEFAULT_SCENARIO, Kernel, type KernelOptions, type PagerProxy, PageSource, parseScenario,
 *   runScenario, type Status,
 * } from "./mod.ts";
 * let failed = 0;
 * class CountingSource extends PageSource {
 *   override onPagesFailed(start: number, end: number, error: Status): void {
 *     failed++;
 *     super.onPagesFailed(start, end, error); // the model's step: its trace events too
 *   }
 * }
 * class CountingKernel extends Kernel {
 *   protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
 *     const model = super.createPageSource(vmoKoid, proxy);
 *     return new CountingSource(vmoKoid, proxy, this.sink, model.nextId);
 *   }
 * }
 * const makeKernel = (options: KernelOptions): Kernel => new CountingKernel(options);
 * const scenario = parseScenario(DEFAULT_SCENARIO);
 * const run = runScenario(scenario, { seed: 42, makeKernel });
 * // The variant changed nothing the run reaches: the model's run, step for step.
 * console.assert(run.traceHash === runScenario(scenario, { seed: 42 }).traceHash && failed === 0);
 * ```
 *
 * @module
 */

// The constants a service's own loop needs; every other zx_* constant is on the `./constants`
// sub-path export (kernel/constants.ts).
export { type Status, statusName, ZX_OK, ZX_TIME_INFINITE } from "./kernel/constants.ts";
export { KernelAssertionError } from "./kernel/assert.ts";
export type {
  EventSink,
  EvictDetail,
  KernelEvent,
  Packet,
  PagePacket,
  SignalPacket,
  SlotKind,
  UserPacket,
} from "./kernel/events.ts";
export {
  Kernel,
  KernelObjects,
  type KernelOptions,
  type KernelYield,
  type Syscall,
  VmarCalls,
  type VmoInfo,
  type Wait,
} from "./kernel/kernel.ts";
// What a kernel variant (`--kernel`, README "Writing a kernel variant") overrides: the page
// request tracking (PageSource) and packet delivery (PagerProxy) that Kernel's seams
// createPageSource and createPagerProxy build, and the types their steps take.
export {
  type PageRequest,
  PageSource,
  type RequestProvider,
  type RequestType,
  Waiter,
} from "./kernel/page_source.ts";
export { PagerProxy } from "./kernel/pager_proxy.ts";
export type { PacketOwner, Port } from "./kernel/port.ts";
export type { KernelObject } from "./kernel/handles.ts";
export { type Draw, Sys, type ThreadBody } from "./sim/sys.ts";
export type {
  CallArgs,
  CallImpl,
  CallOut,
  Camel,
  KernelCalls,
  MethodName,
  ThreadCalls,
} from "./kernel/syscalls.ts";
export {
  type Choice,
  DecisionSource,
  fairStrategy,
  followStrategy,
  type PctOptions,
  pctStrategy,
  randomStrategy,
  recordingStrategy,
  type ReplayPick,
  replayStrategy,
  type SchedulePick,
  type Strategy,
} from "./sim/strategy.ts";
export { formatEvent, threadLabel, Trace, type TraceEntry } from "./sim/trace.ts";
export {
  type BlockedThread,
  describeVerdict,
  ENTRY_POINTS,
  type EntryPoint,
  type FailureFacts,
  InvariantViolation,
  type Monitor,
  type Role,
  type RunResult,
  type SimThread,
  StoppedBefore,
  type ThreadEnd,
  type Verdict,
  World,
  type WorldOptions,
} from "./sim/world.ts";
export {
  EVENT_KINDS,
  LEVEL2_EVENT_KINDS,
  MEMORY_BUDGET_BYTES,
  type Op,
  type OpInput,
  type OpRange,
  parseScenario,
  type Scenario,
  SCENARIO_FORMAT,
  ScenarioError,
  type ScenarioInput,
  type ScenarioMemory,
  scenarioMemory,
  SERVICE_KINDS,
  type ServiceSpec,
} from "./scenario/schema.ts";
export {
  type OpOutcome,
  type RunOptions,
  runScenario,
  type ScenarioNames,
  type ScenarioRun,
  type StrategyName,
} from "./scenario/interpreter.ts";
export { DEFAULT_SCENARIO } from "./scenario/default.ts";
export { type ByteRange, type FileLayout, zeroByLayout } from "./sim/file_layout.ts";
export {
  acknowledgeDirty,
  backingPage,
  backingRange,
  batchingService,
  type CompletePacket,
  CondVar,
  detacherService,
  type DirtyPacket,
  DurableStore,
  eagerService,
  failOutOfMemory,
  fileRange,
  flakyService,
  isComplete,
  isDirty,
  isRead,
  makeWritebackService,
  Mutex,
  type PagerService,
  type ReadPacket,
  REFERENCE_SERVICES,
  serveReads,
  type ServiceContext,
  type ServiceVmo,
  supplyBytes,
  supplyFromBacking,
  supplyWithinSize,
  vmoForKey,
  withinSize,
  WRITEBACK_KEY,
  type WritebackOptions,
  writebackService,
} from "./services/mod.ts";
export {
  type BoundContract,
  type CloseEntry,
  CONTRACT_EVENTS,
  type ContractEvent,
  contractOf,
  type ContractRange,
  ContractSchemaError,
  contractText,
  type OpenEntry,
  type OpenFile,
  type OpensPath,
  parseContract,
  type ServiceContract,
  type ServiceContractInput,
  withContract,
  type WritebackEntry,
  type WritebackPath,
} from "./scenario/service_contract.ts";
export {
  assertInContract,
  type ContractCounter,
  contractCounter,
  ContractError,
  contractsOf,
  type ContractViolation,
  contractViolations,
  DELIVERY_KINDS,
  type DeliveryKind,
  excludes,
} from "./scenario/contract.ts";
export { LEVEL2_INVARIANTS, level2Invariants } from "./properties/level2/mod.ts";
export {
  KERNEL_INVARIANTS,
  type KernelInvariantOptions,
  kernelInvariants,
} from "./properties/kernel_invariants.ts";
export { serviceObligations } from "./properties/service_obligations.ts";
export {
  answersDirty,
  decisionsArbitrary,
  type DecisionsArbitraryOptions,
  type EventKind,
  type OpKind,
  scenarioArbitrary,
  type ScenarioArbitraryOptions,
  type ServiceKind,
} from "./properties/arbitraries.ts";
export {
  pagerProperty,
  PagerPropertyFailure,
  type PagerPropertyOptions,
} from "./properties/pager_property.ts";
export {
  GUARD_CONFIRM_FACTOR,
  GUARD_MEMORY_MB,
  GUARD_RUN_TIMEOUT,
  type GuardedLimitOptions,
  type GuardedNoServiceOptions,
  guardedPagerProperty,
  GuardedPropertyFailure,
  type GuardedPropertyOptions,
  type GuardedServiceOptions,
} from "./properties/guarded_property.ts";
export {
  type Case,
  type CaseResult,
  checkCase,
  type CheckOptions,
  settleVerdict,
  verdictLabel,
} from "./properties/check_case.ts";
export { formatFailure, type ReportOptions } from "./properties/failure_report.ts";
export {
  campaignReplayCommand,
  CASE_FORMAT,
  type CaseEnvelope,
  type CaseError,
  caseFileName,
  type CaseLimits,
  type CaseOrigin,
  legacyCaseFileName,
  type ModuleRef,
  type NamedContext,
  parseCase,
  replaces,
  replayCommand,
  type UnshrunkWhy,
} from "./case/envelope.ts";
export type {
  CaseKind,
  InputSchema,
  KindName,
  KindRun,
  KindRunOptions,
  RunContext,
} from "./case/kind.ts";
export {
  CHECKER_SETS,
  type CheckerSet,
  checkersOf,
  KINDS,
  SCENARIO_KIND,
  scenarioCheckers,
} from "./case/kinds.ts";
export {
  type CaseMeta,
  investigate,
  type InvestigateOptions,
  type Investigation,
  toEnvelope,
} from "./case/investigate.ts";
export { type Divergence, firstDivergence, type Replay, replayWith } from "./case/replay.ts";
export {
  CaseFileError,
  codeIdentity,
  type CodeUnderTest,
  type CurrentCode,
  findingKey,
  knownSignatures,
  type LoadedCorpus,
  readCaseFile,
  readCorpus,
  replayCase,
  type ReplayOptions,
  replayProblem,
  resolveContext,
  writeCase,
  type WriteOptions,
} from "./case/store.ts";
export {
  shrink,
  type ShrinkCandidate,
  type ShrinkDriverOptions,
  type ShrinkOutcome,
  type ShrinkProgress,
  type ShrinkRun,
} from "./case/shrink.ts";
export { withService } from "./scenario/bind.ts";
export { bug, BUG_IDS, type SeededBug } from "./zoo/registry.ts";
export {
  type CampaignFinding,
  type CampaignOptions,
  type CampaignSummary,
  runCampaign,
  type SlowRun,
  type SummaryFinding,
  type TimelinePoint,
} from "./fuzz/orchestrate.ts";
export type { InputKind } from "./fuzz/engine.ts";
export type {
  Arg,
  CallName,
  CallRef,
  CallSpec,
  Param,
  Produces,
  Program,
  ProgramCall,
  ProgramThread,
} from "./program/program.ts";
export { CALLS } from "./program/program.ts";
export type { PortfolioStrategy, RunPlan } from "./fuzz/campaign.ts";
export { contractSwarm, type ScenarioPlan, type Swarm } from "./scenario/generate.ts";
export {
  type Case as ShrinkCase,
  shrinkCase,
  type ShrinkOptions,
  type ShrinkResult,
} from "./case/shrink.ts";
export type { DirtyRange } from "./kernel/dirty.ts";
export type { PagerVmoStats } from "./kernel/kernel.ts";
export {
  type BoundStats,
  type Counterexample,
  type CounterexampleReplay,
  explore,
  type ExploreHooks,
  type ExploreOptions,
  type ExploreProgress,
  type ExploreResult,
  type HandOffNode,
  passSentence,
  type PrefixSeed,
  type TaskEnd,
} from "./explore/explore.ts";
export type { DporCounters } from "./explore/dpor.ts";

export { ALLOCATING_CALLS, type AllocFailure } from "./kernel/alloc_fault.ts";
