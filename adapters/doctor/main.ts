import { runsAfterCommandLine } from "../../config/command-line.js";
import { DOCTOR_HELP } from "./doctor-help.js";
import { runDoctor } from "./doctor.js";

// The entry of `npm run doctor`: the settings of this machine's .env and environment.
if (runsAfterCommandLine(process.argv.slice(2), DOCTOR_HELP)) {
  runDoctor({ env: process.env, dotEnvPath: ".env", write: (text) => process.stdout.write(text) }).then(
    // Leave once stdout is flushed, rather than wait for idle keep-alive connections to time out.
    (code) => process.stdout.write("", () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(`council doctor failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(2);
    },
  );
}
