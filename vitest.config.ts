import { defineConfig } from "vitest/config";
import { removeHostileVariables } from "./test-support/hermetic-env.js";

// Before any worker starts: tests see none of the developer's settings, proxies or colours.
removeHostileVariables();

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**"],
    // Tests start real servers on 127.0.0.1; a generous timeout covers a loaded 2-core CI box.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
