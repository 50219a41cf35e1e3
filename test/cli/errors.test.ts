import { describe, expect, it } from "vitest";
import { CommanderError } from "commander";
import { errorOutcome, exitCodes, markReported } from "../../src/cli/errors.js";
import { ConfigError } from "../../src/config/index.js";
import { AuthError, ServerError } from "../../src/http/errors.js";
import { ProjectResolutionError } from "../../src/modules/launch/index.js";
import { FixtureError } from "../../src/simulator/fixtures/resolve.js";
import { LockHeldError, StateDirError } from "../../src/state/index.js";

const api = { service: "ica" as const, method: "GET", route: "/api/projects", attempts: 1 };

describe("cli errors → exit codes", () => {
  it.each([
    ["help or version", new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"), exitCodes.ok],
    ["usage error", new CommanderError(1, "commander.unknownOption", "error: unknown option"), exitCodes.usage],
    ["lock held", new LockHeldError("/s/lock", 3, 30_000), exitCodes.ok],
    ["configuration", new ConfigError("days_to_delete (from --days_to_delete): expected ..."), exitCodes.usage],
    ["unknown project", new ProjectResolutionError("No ICA project is named exactly", "x", []), exitCodes.usage],
    ["rejected key", new AuthError({ ...api, status: 401 }), exitCodes.usage],
    ["state dir not writable", new StateDirError("state directory /x is not writable"), exitCodes.usage],
    ["bad fixture", new FixtureError("unknown fixture"), exitCodes.usage],
    ["service failure", new ServerError({ ...api, status: 500 }), exitCodes.failures],
    ["anything else", new Error("boom"), exitCodes.failures],
  ])("%s", (_, error, code) => {
    expect(errorOutcome(error).code).toBe(code);
  });

  it("prints the one-line message, except commander's own and errors already logged", () => {
    expect(errorOutcome(new LockHeldError("/s/lock", undefined, 30_000)).message).toMatch(/^another ica-orchestrator cycle holds \/s\/lock/);
    expect(errorOutcome(new CommanderError(2, "x", "y")).message).toBeUndefined();
    const logged = new ConfigError("already in the log");
    markReported(logged);
    expect(errorOutcome(logged)).toEqual({ code: exitCodes.usage });
  });
});
