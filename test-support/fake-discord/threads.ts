// Thread channels as Discord makes them: from a message (same id as the message, which gets
// the HAS_THREAD flag and a `thread` field) or on their own.
import { isoTime } from "./clock.js";
import type { FakeChannel } from "./types.js";
import type { World } from "./world.js";

export const DEFAULT_AUTO_ARCHIVE = 4320;

export function makeThread(
  world: World,
  parent: FakeChannel,
  fields: { id: string; name: string; type: number; autoArchive?: number; rateLimitPerUser?: number; invitable?: boolean },
): FakeChannel {
  const now = isoTime(world.clock.now());
  const thread: FakeChannel = {
    id: fields.id,
    type: fields.type,
    guild_id: parent.guild_id,
    name: fields.name,
    parent_id: parent.id,
    owner_id: world.bot.id,
    last_message_id: null,
    rate_limit_per_user: fields.rateLimitPerUser ?? 0,
    flags: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: fields.autoArchive ?? parent.default_auto_archive_duration ?? DEFAULT_AUTO_ARCHIVE,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
    },
  };
  if (fields.type === 12) (thread.thread_metadata as NonNullable<FakeChannel["thread_metadata"]>).invitable = fields.invitable ?? true;
  world.channels.set(thread.id, thread);
  world.threads.push(thread);
  return thread;
}
