// What the rest of the bot uses of src/files: read a question's files, and keep what the record may.
export {
  type Attachment,
  type AttachmentRecord,
  type AttachmentType,
  attachmentRecord,
  type DocumentAttachment,
  type DocumentType,
  type ImageAttachment,
  type ImageType,
  type TextType,
} from "./attachment.js";
export { type FileLimits, fileLimitsOf } from "./file-limits.js";
export { type FileRefusalKind, FileRefusedError } from "./file-refused-error.js";
export { type AttachedFile, checkFileCount, readAttachment, readAttachments } from "./read-attachment.js";
export { TYPE_LABELS, UNDERSTOOD_TYPES } from "./type-names.js";
