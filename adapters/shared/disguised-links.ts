// A masked link whose label reads as an address ("[https://bank.example](https://evil.example)",
// "[bank.example](…)", "[www.bank.example](…)") claims to go somewhere it may not: a phishing
// lure in a model's answer. Labels made of words ("the docs") are ordinary masked links, and
// Discord's and Slack's clients show the real address before leaving them. So each platform
// rebuilds a disguised link with its real target in view; this decides which links are.

// What a reader takes for an address, word by word: a scheme, "www.", a host with a top-level
// domain (a path may follow), or an IPv4 address.
const ADDRESS = /^[a-z][a-z0-9+.-]*:\/\/\S|^www\.|^[^\s/?#]+\.\p{L}{2,}(?:[/:?#]|$)|^\d{1,3}(?:\.\d{1,3}){3}(?:[/:?#]|$)/iu;

/**
 * True when the label holds an address that is not exactly the link's target (scheme and a
 * trailing slash aside). The same host with another path counts: an open redirect on a trusted
 * host is a classic lure.
 */
export function disguisesTarget(label: string, url: string): boolean {
  const target = comparable(url);
  return readableWords(label).some((word) => {
    if (!ADDRESS.test(word)) return false;
    const named = comparable(word);
    return named === undefined || named !== target;
  });
}

/** The label's words as a reader sees them: look-alike dots folded, invisible and Markdown characters gone. */
function readableWords(label: string): string[] {
  return label
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .replace(/\\(.)/g, "$1")
    .replace(/[*_~`|]/g, "")
    .split(/\s+/)
    .map((word) => word.replace(/^[\p{P}\p{S}]+/u, "").replace(/[)\]}>"'.,;:!?]+$/u, ""))
    .filter((word) => word !== "");
}

/** Host, path, query and fragment; undefined when it does not parse (then nothing matches it). */
function comparable(address: string): string | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`);
    return `${url.host}${url.pathname.replace(/\/$/, "")}${url.search}${url.hash}`;
  } catch {
    return undefined;
  }
}
