// conversations.open: the bot's DM with one user, opened if there is none yet (im:write).
// Group DMs (several users) are not modelled.
import { SlackError } from "./errors.js";
import { flag } from "./http-body.js";
import type { MethodDef } from "./method-context.js";

export const CONVERSATION_METHODS: Record<string, MethodDef> = {
  "conversations.open": {
    token: "bot",
    scope: "im:write",
    handle({ world, args }) {
      const users = String(args.users ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean);
      if (users.length === 0) throw new SlackError("users_list_not_supplied");
      if (users.length > 1) throw new Error("fake-slack: conversations.open with several users (a group DM) is not modelled");
      const [userId = ""] = users;
      if (!world.user(userId)) throw new SlackError("user_not_found");
      const alreadyOpen = [...world.channels.values()].some((c) => c.isIm && c.user === userId);
      const im = world.openIm(userId);
      const full = flag(args.return_im) === true;
      return { no_op: alreadyOpen, already_open: alreadyOpen, channel: full ? { id: im.id, created: im.created, is_im: true, user: userId } : { id: im.id } };
    },
  },
};
