import { describe, expect, it } from "vitest";
import { createAccessRules } from "./access.js";

const user = (overrides: Partial<{ id: string; roles: string[]; isAdministrator: boolean }> = {}) => ({ id: "1", roles: [], isAdministrator: false, ...overrides });
const here = { guild_id: "g1", channel: { id: "c1", type: 0 } } as const;

describe("access rules", () => {
  it("lets anyone ask anywhere when no list is set", () => {
    expect(createAccessRules({}).councilDenied(here, user())).toBeUndefined();
  });

  it("keeps the council to the listed servers, channels (or their threads) and roles", () => {
    const rules = createAccessRules({ allowedGuilds: ["g1"], allowedChannels: ["c2"], allowedRoles: ["r1"] });
    expect(rules.councilDenied({ ...here, guild_id: "g9" }, user({ roles: ["r1"] }))).toBe("The council is not enabled on this server.");
    expect(rules.councilDenied(here, user({ roles: ["r1"] }))).toContain("does not answer in this channel");
    expect(rules.councilDenied({ guild_id: "g1", channel: { id: "t1", type: 11, parent_id: "c2" } as never }, user({ roles: ["r1"] }))).toBeUndefined();
    expect(rules.councilDenied({ guild_id: "g1", channel: { id: "c2", type: 0 } }, user())).toContain("needs a role");
  });

  it("shows /council-stats where the council answers, to anyone there: no role needed", () => {
    const rules = createAccessRules({ allowedGuilds: ["g1"], allowedChannels: ["c2"], allowedRoles: ["r1"] });
    expect(rules.statsDenied({ guild_id: "g1", channel: { id: "c2", type: 0 } })).toBeUndefined();
    expect(rules.statsDenied({ guild_id: "g1", channel: { id: "t1", type: 11, parent_id: "c2" } as never })).toBeUndefined();
    expect(rules.statsDenied({ ...here, guild_id: "g9" })).toBe("The council is not enabled on this server.");
    expect(rules.statsDenied(here)).toContain("does not answer in this channel");
  });

  it("gives /council-health to administrators, or only to the listed admins when there is a list", () => {
    expect(createAccessRules({}).healthDenied(user({ isAdministrator: true }))).toBeUndefined();
    expect(createAccessRules({}).healthDenied(user())).toBe("/council-health is for the council's admins.");
    const listed = createAccessRules({ adminUsers: ["7"], adminRoles: ["ops"] });
    expect(listed.healthDenied(user({ id: "7" }))).toBeUndefined();
    expect(listed.healthDenied(user({ roles: ["ops"] }))).toBeUndefined();
    expect(listed.healthDenied(user({ isAdministrator: true }))).toBeDefined();
  });
});
