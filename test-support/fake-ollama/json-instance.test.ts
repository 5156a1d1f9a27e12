import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonInstance } from "./json-instance.js";

// zod is the judge: a schema written in zod, turned into JSON Schema the way the council will
// send it as `format`, must accept what the fake generates for it.
function roundTrip(schema: z.ZodType): unknown {
  const instance = jsonInstance(z.toJSONSchema(schema));
  return schema.parse(JSON.parse(JSON.stringify(instance)));
}

describe("jsonInstance", () => {
  it("satisfies a ballot-like zod schema", () => {
    const Ballot = z.object({
      ranking: z.array(z.enum(["A", "B", "C"])).length(3),
      scores: z.array(z.object({ id: z.enum(["A", "B", "C"]), score: z.number().int().min(1).max(10) })).min(2),
      rationale: z.string().min(20).max(400),
      confident: z.boolean(),
      version: z.literal("v1"),
      note: z.string().nullable(),
      extra: z.string().optional(),
    });
    const ballot = roundTrip(Ballot) as z.infer<typeof Ballot>;
    // Enum items take the values in turn, so a ranking is a real permutation.
    expect(ballot.ranking).toEqual(["A", "B", "C"]);
    expect(ballot.scores).toHaveLength(2);
  });

  it("respects numeric bounds, exclusive bounds and multipleOf", () => {
    roundTrip(z.object({
      open: z.number().gt(0).lt(1),
      int: z.number().int().gt(5).lt(7),
      negative: z.number().max(-3),
      step: z.number().multipleOf(5).min(3),
      tiny: z.number().int().min(10).max(10),
    }));
  });

  it("handles tuples, unions, nested arrays, records of formats and reused sub-schemas", () => {
    const Item = z.object({ name: z.string().min(3), at: z.iso.datetime(), mail: z.email() });
    roundTrip(z.object({
      tuple: z.tuple([z.string(), z.number(), z.boolean()]),
      union: z.union([z.number().positive(), z.string()]),
      grid: z.array(z.array(z.number().int()).min(2)).min(2),
      first: Item,
      second: Item,
      date: z.iso.date(),
      id: z.uuid(),
    }));
  });

  it("resolves local $ref and recursive definitions without looping", () => {
    type Node = { label: string; children: Node[] };
    const Node: z.ZodType<Node> = z.lazy(() => z.object({ label: z.string(), children: z.array(Node) }));
    roundTrip(z.object({ root: Node }));
  });

  it("reads hand-written schemas: type lists, draft-4 exclusive booleans, allOf, const, required without properties", () => {
    const value = jsonInstance({
      type: "object",
      properties: {
        maybe: { type: ["null", "integer"], minimum: 2 },
        draft4: { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
        merged: { allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { properties: { b: { const: 7 } }, required: ["b"] }] },
        choice: { oneOf: [{ type: "string", enum: ["x", "y"] }, { type: "integer" }] },
      },
      required: ["maybe", "draft4", "merged", "choice", "free"],
    }) as Record<string, unknown>;
    expect(value.maybe).toBe(2);
    expect(value.draft4).toBeGreaterThan(0);
    expect(value.draft4).toBeLessThan(1);
    expect(value.merged).toEqual({ a: "text", b: 7 });
    expect(value.choice).toBe("x");
    expect(value).toHaveProperty("free");
  });

  it("fails loudly on a remote $ref instead of inventing a value", () => {
    expect(() => jsonInstance({ $ref: "https://example.com/schema.json" })).toThrow(/local \$ref/);
  });
});
