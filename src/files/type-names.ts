import type { AttachmentType, ImageType, TextType } from "./attachment.js";

/** How a type is named to a user, after "is" or "like": "a PDF", "a PNG image". */
export const TYPE_LABELS: Record<AttachmentType, string> = {
  text: "plain text",
  markdown: "Markdown",
  code: "source code",
  csv: "a CSV table",
  tsv: "a TSV table",
  json: "JSON",
  yaml: "YAML",
  xml: "XML",
  html: "a web page (HTML)",
  log: "a log",
  pdf: "a PDF",
  docx: "a Word document (DOCX)",
  png: "a PNG image",
  jpeg: "a JPEG image",
  webp: "a WEBP image",
  gif: "a GIF image",
};

/** The list a refusal ends with, so the user knows what to send instead. */
export const UNDERSTOOD_TYPES =
  "text (plain, Markdown, code, CSV, TSV, JSON, YAML, XML, HTML, logs), PDF, Word (DOCX), and PNG, JPEG, WEBP or GIF images";

/** What a file's name says it is: only a hint for text, a claim the bytes must keep for the rest. */
export type NamedType = { family: "text"; type: TextType | undefined } | { family: "binary"; type: "pdf" | "docx" | ImageType };

const BINARY_EXTENSIONS: Record<string, "pdf" | "docx" | ImageType> = {
  pdf: "pdf",
  docx: "docx",
  png: "png",
  jpg: "jpeg",
  jpeg: "jpeg",
  jpe: "jpeg",
  jfif: "jpeg",
  webp: "webp",
  gif: "gif",
};

const TEXT_EXTENSIONS: Record<string, TextType | undefined> = {
  txt: undefined,
  text: undefined,
  md: "markdown",
  markdown: "markdown",
  mdx: "markdown",
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  json: "json",
  jsonl: "json",
  ndjson: "json",
  geojson: "json",
  yaml: "yaml",
  yml: "yaml",
  xml: "xml",
  xsd: "xml",
  xsl: "xml",
  svg: "xml",
  plist: "xml",
  html: "html",
  htm: "html",
  xhtml: "html",
  log: "log",
  out: "log",
};

// Source files are read as they are; the list only names them "code" for the prompt's fence.
const CODE_EXTENSIONS = new Set(
  (
    "ts tsx mts cts js jsx mjs cjs py pyi rb go rs java kt kts scala groovy gradle c h cc cpp cxx hpp hh cs fs swift m mm php pl pm " +
    "sh bash zsh fish ps1 psm1 bat cmd sql r lua dart ex exs erl hrl hs ml mli clj cljs elm nim zig v sol vue svelte astro css scss " +
    "sass less toml ini cfg conf properties env tf hcl proto graphql gql cmake mk diff patch"
  ).split(" "),
);
const CODE_FILE_NAMES = new Set(["dockerfile", "containerfile", "makefile", "gnumakefile", "jenkinsfile", "vagrantfile", "gemfile", "rakefile", "procfile"]);

export function typeNamedBy(name: string): NamedType | undefined {
  const base = name.split(/[\\/]/).pop()?.toLowerCase() ?? "";
  if (CODE_FILE_NAMES.has(base)) return { family: "text", type: "code" };
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const extension = base.slice(dot + 1);
  const binary = BINARY_EXTENSIONS[extension];
  if (binary !== undefined) return { family: "binary", type: binary };
  if (extension in TEXT_EXTENSIONS) return { family: "text", type: TEXT_EXTENSIONS[extension] };
  if (CODE_EXTENSIONS.has(extension)) return { family: "text", type: "code" };
  return undefined;
}

/**
 * Formats people often send that the council does not read, by file-type's extension: what to
 * call them, and how to turn them into something it reads.
 */
export const UNREAD_FORMATS: Record<string, { label: string; instead: string }> = {
  cfb: { label: "an old Office file (.doc, .xls or .ppt)", instead: "Save it as DOCX, PDF or CSV" },
  xlsx: { label: "an Excel workbook", instead: "Save the sheet that matters as CSV" },
  ods: { label: "an OpenDocument spreadsheet", instead: "Save the sheet that matters as CSV" },
  pptx: { label: "a PowerPoint deck", instead: "Export it as PDF" },
  odt: { label: "an OpenDocument text", instead: "Save it as DOCX or PDF" },
  epub: { label: "an e-book (EPUB)", instead: "Send the chapter that matters as text or PDF" },
  zip: { label: "a ZIP archive", instead: "Send the files inside it" },
  heic: { label: "a HEIC photo", instead: "Send it as JPEG (phones can share a photo as JPEG)" },
  avif: { label: "an AVIF image", instead: "Send it as PNG or JPEG" },
  tif: { label: "a TIFF image", instead: "Send it as PNG or JPEG" },
  bmp: { label: "a BMP image", instead: "Send it as PNG or JPEG" },
};
