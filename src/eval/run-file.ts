import { appendFile, mkdir, readFile, truncate } from "node:fs/promises";
import { dirname } from "node:path";
import type { ItemResult, Reply } from "./item-runner.js";

// A run's results, one JSON line per finished item, appended as each finishes: a run of hours
// that is stopped (Ctrl-C, a reboot) continues where it stopped, and the report is rebuilt from
// the file. The first line says what the run is; a continuation must be the same run.

export interface RunHeader {
  type: "run";
  version: 1;
  run: string;
  data: string;
  /** sha256 of the items as read (after --limit): another file, or another limit, is another run. */
  itemsHash: string;
  preset: string;
  /** sha256 of the preset as used: editing the preset starts another run. */
  presetHash: string;
  strategies: string[];
  seed: number;
}

export type RunRecord =
  | RunHeader
  | ({ type: "item" } & ItemResult)
  /** The equal-budget vote, chosen once every item is in. */
  | { type: "budget"; member: string; k: number; matches: string }
  | { type: "budget-item"; id: string; reply: Reply };

export class RunFileError extends Error {
  override readonly name = "RunFileError";
  readonly kind = "run-file";
}

export interface RunFile {
  path: string;
  /** The records already there (a continued run), the header first. */
  records: RunRecord[];
  resumed: boolean;
  append(record: RunRecord): Promise<void>;
}

export async function openRunFile(path: string, header: RunHeader): Promise<RunFile> {
  const records = await readRecords(path);
  const append = async (record: RunRecord) => appendFile(path, `${JSON.stringify(record)}\n`);
  if (records.length === 0) {
    await mkdir(dirname(path), { recursive: true });
    await append(header);
    return { path, records: [header], resumed: false, append };
  }
  const first = records[0];
  if (first?.type !== "run") throw new RunFileError(`${path} is not an evaluation run's results (its first line is not the run's header); give another --run name`);
  const differs = (["data", "itemsHash", "preset", "presetHash", "strategies", "seed"] as const).filter((key) => JSON.stringify(first[key]) !== JSON.stringify(header[key]));
  if (differs.length > 0) {
    throw new RunFileError(
      `the run "${header.run}" (${path}) was started with another ${differs.map(describeKey).join(", ")}; continue it with the same options, or start another with --run NEW_NAME`,
    );
  }
  return { path, records, resumed: true, append };
}

function describeKey(key: keyof RunHeader): string {
  switch (key) {
    case "data":
      return "--data file";
    case "itemsHash":
      return "set of items (the file changed, or --limit)";
    case "presetHash":
      return "preset (it was edited)";
    case "preset":
      return "--preset";
    case "strategies":
      return "--strategies";
    default:
      return `--${key}`;
  }
}

/** The records of an existing file; a last line cut short by a stop mid-write is dropped from the file. */
async function readRecords(path: string): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new RunFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const complete = text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
  if (complete.length !== text.length) await truncate(path, Buffer.byteLength(complete));
  return complete
    .split("\n")
    .filter((line) => line.trim())
    .map((line, index) => {
      try {
        return JSON.parse(line) as RunRecord;
      } catch {
        throw new RunFileError(`${path}, line ${index + 1} is not JSON: the file was edited; start another run with --run NEW_NAME`);
      }
    });
}
