/**
 * Places where a spec contradicts itself or the real API, corrected before validating. Each one is listed
 * in docs/simulator.md (section contract). `applyQuirks` throws when a quirk is no longer in the spec, so a
 * new spec version cannot leave a stale correction behind.
 */
export interface SpecQuirk {
  pointer: string;
  why: string;
  /** True while the spec still has the quirk. */
  present(node: Record<string, unknown>): boolean;
  fix(node: Record<string, unknown>): void;
}

const uriReference = (field: string): SpecQuirk => ({
  pointer: `/components/schemas/Problem/properties/${field}`,
  why:
    `Problem.${field} is described as "A URI reference" (RFC 7807 §3.1 allows relative ones such as ` +
    `"/ica/rest/api/projects/…") but typed format: uri, which only admits absolute URIs (the usual ` +
    `springdoc mapping of java.net.URI); validated as uri-reference`,
  present: (node) => node.format === "uri",
  fix: (node) => {
    node.format = "uri-reference";
  },
});

const bulkIdNotRequired = (definition: string): SpecQuirk => ({
  pointer: `/definitions/${definition}`,
  why:
    `${definition} requires "Id", but the bulk endpoint has no resource id: a code-generator leftover ` +
    `(../shared/basespace-api-notes.md §9); the predecessor never sends it`,
  present: (node) => Array.isArray(node.required) && node.required.includes("Id"),
  fix: (node) => {
    node.required = (node.required as string[]).filter((name) => name !== "Id");
  },
});

export const icaQuirks: readonly SpecQuirk[] = [uriReference("type"), uriReference("instance")];

export const basespaceQuirks: readonly SpecQuirk[] = [
  bulkIdNotRequired("V2BulkArchiveRequest"),
  bulkIdNotRequired("V2BulkRestoreRequest"),
  {
    pointer: "/definitions/V2Error/properties/AdditionalData",
    why:
      "V2Error.AdditionalData refers to IDictionary, which describes the .NET interface's members " +
      "(Item, Keys, Values, IsReadOnly, IsFixedSize, all required) rather than its JSON form, a string map",
    present: (node) => node.$ref === "#/definitions/IDictionary",
    fix: (node) => {
      delete node.$ref;
      node.type = "object";
    },
  },
];

/** Applies the corrections to a spec document's data, in place. */
export function applyQuirks(root: Record<string, unknown>, quirks: readonly SpecQuirk[]): void {
  for (const quirk of quirks) {
    let node: unknown = root;
    for (const key of quirk.pointer.slice(1).split("/")) node = (node as Record<string, unknown> | undefined)?.[key];
    if (node === null || typeof node !== "object" || !quirk.present(node as Record<string, unknown>)) {
      throw new Error(`spec quirk at ${quirk.pointer} is no longer in the spec: remove it from test/contract/spec-quirks.ts`);
    }
    quirk.fix(node as Record<string, unknown>);
  }
}
