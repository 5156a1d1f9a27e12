// Command registration through discord.js: global and guild bulk overwrites, ids kept across
// overwrites, Discord's name rules.
import { DiscordAPIError, PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { describe, expect, it } from "vitest";
import { useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();

const council = new SlashCommandBuilder()
  .setName("council")
  .setDescription("Ask the council")
  .addStringOption((o) => o.setName("question").setDescription("What to ask").setRequired(true));
const admin = new SlashCommandBuilder()
  .setName("council-admin")
  .setDescription("Configure the council")
  .setDefaultMemberPermissions(0n);

describe("application commands", () => {
  it("records a global PUT and keeps ids across an overwrite", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const first = await client.application.commands.set([council.toJSON(), admin.toJSON()]);
    const put = fake.calls.find((c) => c.route === "putCommands");
    expect(put).toMatchObject({ method: "PUT", path: `/applications/${fake.applicationId}/commands`, auth: "Bot", status: 200 });
    expect(fake.commands().map((c) => [c.name, c.default_member_permissions])).toEqual([
      ["council", null],
      ["council-admin", "0"],
    ]);
    expect(first.size).toBe(2);
    const id = fake.commands()[0]?.id;
    await client.application.commands.set([council.toJSON()]);
    expect(fake.commands().map((c) => c.id)).toEqual([id]);
    const fetched = await client.application.commands.fetch();
    expect([...fetched.values()].map((c) => c.name)).toEqual(["council"]);
  });

  it("keeps guild commands apart from global ones", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const guild = client.guilds.cache.get(fake.guildId);
    await guild?.commands.set([admin.toJSON()]);
    expect(fake.calls.find((c) => c.route === "putGuildCommands")?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(fake.commands(fake.guildId).map((c) => c.name)).toEqual(["council-admin"]);
    expect(fake.commands()).toEqual([]);
    // An interaction for a guild command carries data.guild_id.
    expect(fake.interactionCommand({ name: "council-admin" }).data.guild_id).toBe(fake.guildId);
  });

  it("refuses an invalid name with 50035", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const error = await client.application.commands.set([{ name: "Council Of LLMs", description: "x" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).rawError).toMatchObject({
      code: 50035,
      errors: { "0": { name: { _errors: [{ code: "APPLICATION_COMMAND_INVALID_NAME" }] } } },
    });
    expect(PermissionFlagsBits.Administrator).toBe(8n);
  });
});
