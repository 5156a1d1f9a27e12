#!/usr/bin/env node
// `npx council "question"` and `npm run council -- "question"`: one council in the terminal.
// The CLI is TypeScript; tsx's loader compiles it in this same process, so Ctrl-C reaches it
// directly and its exit code is the process's, with no wrapper process in between.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../adapters/console/cli.ts");
await main();
