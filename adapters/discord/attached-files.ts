import type { APIApplicationCommandInteractionDataOption, Attachment } from "discord.js";
import { ApplicationCommandOptionType } from "discord.js";
import type { FileReference } from "../shared/file-reference.js";
import { FILE_OPTIONS } from "./commands.js";
import type { CommandInteraction } from "./interaction.js";

// Where Discord says a user's files are. A /council attachment option's value is only the
// attachment's id; the attachment itself (name, size, type, its signed CDN link) is in the
// interaction's data.resolved.attachments. A message's files are in its attachments (discord.js's
// Attachment objects on the gateway). Nothing is downloaded here.

/** The files given to /council's file options, in the options' order (file, then file2). */
export function interactionFiles(interaction: CommandInteraction): FileReference[] {
  const options: readonly APIApplicationCommandInteractionDataOption[] = interaction.data.options ?? [];
  const resolved = interaction.data.resolved?.attachments ?? {};
  return FILE_OPTIONS.flatMap((name) => {
    const option = options.find((entry) => entry.name === name && entry.type === ApplicationCommandOptionType.Attachment);
    const attachment = option && "value" in option ? resolved[String(option.value)] : undefined;
    if (!attachment) return [];
    return [reference(attachment.filename, attachment.url, attachment.size, attachment.content_type)];
  });
}

/** The files of a message (a mention in a council thread), in the order the user attached them. */
export function messageFiles(attachments: Iterable<Pick<Attachment, "name" | "url" | "size" | "contentType">>): FileReference[] {
  return [...attachments].map((attachment) => reference(attachment.name, attachment.url, attachment.size, attachment.contentType ?? undefined));
}

function reference(name: string, url: string, size: number, contentType: string | undefined): FileReference {
  return { name, url, size, ...(contentType === undefined ? {} : { contentType }) };
}
