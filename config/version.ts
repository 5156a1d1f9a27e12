import { readFileSync } from "node:fs";

// One version for every process: the package's, read from package.json beside the sources and
// the bundles alike (config/ and dist/ are both one level down from it).
export const COUNCIL_VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
