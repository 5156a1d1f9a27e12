import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeCouncil } from "../../test-support/recorded-councils.js";
import { COUNCILS, NOW } from "../../test-support/statistics-fixture.js";
import { createCouncilStore } from "../../src/store/council-store.js";
import { openDatabase } from "../../src/store/open-database.js";
import { STATS_EXIT, runStats } from "./stats-cli.js";

let dir: string;
let database: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "council-stats-cli-"));
  database = join(dir, "council.db");
  const db = openDatabase(database);
  let clock = 0;
  const store = createCouncilStore(db, () => clock);
  for (const council of COUNCILS) writeCouncil(store, (at) => (clock = at), council);
  db.close();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function stats(argv: string[], options: { database?: string; price?: boolean } = {}) {
  let out = "";
  let err = "";
  const code = await runStats(argv, {
    write: (text) => (out += text),
    error: (text) => (err += `${text}\n`),
    settings: () => ({
      database: options.database ?? database,
      presets: {
        names: ["balanced", "quick"],
        ...(options.price && { referencePrice: { name: "gpt-4o", promptPerMillion: 2.5, completionPerMillion: 10, currency: "USD" } }),
      },
    }),
    now: () => NOW,
  });
  return { code, out, err };
}

describe("npm run stats", () => {
  it("prints the period's title, leaderboard, stages, failures, consensus, platforms and totals", async () => {
    const { code, out, err } = await stats([], { price: true });
    expect(code).toBe(STATS_EXIT.shown);
    expect(err).toBe("");
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe("council statistics · the last 7 days · all presets · 2 councils (1 completed, 1 partial)");
    expect(out).toMatch(/^1\s+b:1b\s+\d+\s+\d+–\d+\s+2\s+2\s+2\s+2\.0 s\s+63$/m);
    expect(out).toMatch(/^answers\s+2\s+2\.5 s\s+2\.9 s\s+270\s+580$/m);
    expect(out).toContain("Failures: b:1b abstained 1; c:1b timeout 1");
    expect(out).toContain("Consensus: 0.60 on average over 1 reviewed council");
    expect(out).toContain("Platforms: discord 1, slack 1");
    expect(out).toContain("on gpt-4o they would have cost about 0.02 USD.");
    expect(out).not.toContain("q?");
  });

  it("--json gives every figure; --since and --preset choose the councils", async () => {
    const { code, out } = await stats(["--since", "all", "--preset", "quick", "--json"]);
    expect(code).toBe(STATS_EXIT.shown);
    const json = JSON.parse(out);
    expect(json).toMatchObject({ period: "all", preset: "quick", councils: { total: 1, byStatus: { failed: 1 }, byPlatform: { console: 1 } } });
    expect(json.models.map((model: { model: string }) => model.model)).toEqual(["a:1b", "b:1b"]);
  });

  it("--chart writes the dashboard as a PNG", async () => {
    const chart = join(dir, "stats.png");
    const { code, err } = await stats(["--since", "30d", "--chart", chart]);
    expect(code).toBe(STATS_EXIT.shown);
    expect(err).toBe(`Chart written to ${chart}.\n`);
    const png = await readFile(chart);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });

  it("says so when the period has no councils, and writes no chart", async () => {
    const chart = join(dir, "none.png");
    const { code, out, err } = await stats(["--since", "24h", "--preset", "quick", "--chart", chart]);
    expect(code).toBe(STATS_EXIT.shown);
    expect(out).toContain("No councils were recorded in the last 24 hours with the preset quick");
    expect(err).toContain(`No chart written to ${chart}`);
    await expect(readFile(chart)).rejects.toThrow(/ENOENT/);
  });

  it("refuses bad input with what to type instead, and exit code 2", async () => {
    expect(await stats(["--since", "week"])).toMatchObject({ code: 2, err: expect.stringContaining('"week" is not a period the statistics know; use one of: 24h, 7d, 30d, all.') });
    expect(await stats(["--preset", "nope"])).toMatchObject({ code: 2, err: expect.stringContaining('There is no preset "nope"; the presets are: balanced, quick.') });
    expect(await stats(["--chart", "stats.svg"])).toMatchObject({ code: 2, err: expect.stringContaining("give a file name ending in .png") });
    expect(await stats(["--frobnicate"])).toMatchObject({ code: 2, err: expect.stringContaining("Usage: npm run stats") });
  });

  it("names COUNCIL_DB when there is no database there, or it cannot be read", async () => {
    const missing = await stats([], { database: join(dir, "elsewhere.db") });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`There is no council database at ${join(dir, "elsewhere.db")} yet`);
    const garbage = join(dir, "garbage.db");
    await writeFile(garbage, "this is not a database, just text long enough to have a header".repeat(20));
    const broken = await stats([], { database: garbage });
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/COUNCIL_DB/);
  });
});
