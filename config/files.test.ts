import { describe, expect, it } from "vitest";
import { loadBotConfig } from "./index.js";

describe("the limits on what a question's files may hold", () => {
  it("default to 3 files, 200 PDF pages, 200000 characters and 25 million pixels", () => {
    expect(loadBotConfig({})).toMatchObject({
      FILE_MAX_COUNT: 3,
      FILE_MAX_PDF_PAGES: 200,
      FILE_MAX_CHARS: 200_000,
      FILE_MAX_IMAGE_PIXELS: 25_000_000,
    });
  });

  it("take 0 files to turn files off, and refuse a bound out of range, naming the key", () => {
    expect(loadBotConfig({ FILE_MAX_COUNT: "0" }).FILE_MAX_COUNT).toBe(0);
    expect(() => loadBotConfig({ FILE_MAX_COUNT: "11" })).toThrow('FILE_MAX_COUNT="11" must be a whole number from 0 to 10');
    expect(() => loadBotConfig({ FILE_MAX_PDF_PAGES: "0" })).toThrow("FILE_MAX_PDF_PAGES");
    expect(() => loadBotConfig({ FILE_MAX_CHARS: "many" })).toThrow("FILE_MAX_CHARS");
    expect(() => loadBotConfig({ FILE_MAX_IMAGE_PIXELS: "25MP" })).toThrow("FILE_MAX_IMAGE_PIXELS");
  });
});
