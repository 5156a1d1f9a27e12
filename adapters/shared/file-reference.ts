// A file a user attached, as the platform describes it before anything is downloaded: each
// adapter turns its platform's attachment JSON into these, and the file downloader fetches `url`.

export interface FileReference {
  /** The file's name as the user uploaded it (for the card and the prompt; never trusted for its type). */
  name: string;
  /** Where the platform's file host serves the bytes. */
  url: string;
  /** The size the platform reports, in bytes: a first, cheap check; the download counts the bytes again. */
  size: number;
  /** The type the platform reports; the bytes decide the real one. */
  contentType?: string;
}
