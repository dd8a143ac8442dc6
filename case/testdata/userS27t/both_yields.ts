// userS27t: both of the yield-without-star services, linted at once (cli/userS27t_test.ts).
export * as cast from "./hostile/yield_without_star.ts";
export * as nocast from "./hostile/yield_without_star_nocast.ts";
