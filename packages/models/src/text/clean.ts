/**
 * Turns raw documents (HTML, Markdown, wiki text, tags) into plain prose: markup, URLs,
 * e-mail addresses and boilerplate sentences go; link anchors stay, since "[post-grunge](...)"
 * is how Last.fm bios name genres.
 */

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", mdash: "—", ndash: "–", hellip: "…" };

// Sentences made only of site furniture: licence lines, "read more", scraping leftovers.
const BOILERPLATE = [
  /read more (?:about [^.]*?)?on last\.?fm/i,
  /user[- ]contributed text is available under/i,
  /creative commons (?:by-sa |attribution[- ]sharealike )?licen[cs]e/i,
  /additional terms may apply/i,
  /\ball rights reserved\b/i,
  /\b(?:click here|subscribe to|sign up for|follow us on|share this|cookie policy|privacy policy)\b/i,
  /^\s*(?:copyright|©)/i,
];

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : " ";
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Plain text with one sentence per line, boilerplate sentences removed. */
export function cleanText(raw: string): string {
  // Runs of spaces are paragraph breaks in Last.fm bios; mark them before removals leave gaps of their own.
  let text = raw
    .replace(/[ \t\u00a0]{3,}/g, "\n")
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<\/?(?:p|div|br|li|h[1-6]|tr|blockquote)\b[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, " ");
  text = decodeEntities(text)
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ") // Markdown images
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // Markdown links keep their anchor
    .replace(/\b(?:https?:\/\/|www\.)\S+/gi, " ")
    .replace(/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, " ")
    .replace(/[*_`#>|~]+/g, " ");
  const sentences = splitSentences(text).filter((s) => !BOILERPLATE.some((pattern) => pattern.test(s)));
  return sentences.join("\n");
}

/** Sentence boundaries: . ! ? ; followed by space, and line breaks. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.length > 0);
}
