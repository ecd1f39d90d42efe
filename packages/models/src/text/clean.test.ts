import { describe, expect, it } from "vitest";
import { cleanText, decodeEntities, splitSentences } from "./clean.ts";

describe("cleanText", () => {
  it("keeps link anchors and drops markup, URLs, e-mail and boilerplate", () => {
    const raw =
      "<p>**[ABBA](http://www.last.fm/music/ABBA)** were a Swedish <b>pop</b> group &amp; disco act.</p>" +
      "<script>var x = 1;</script> Visit https://abba.example.com/tour or mail fan@abba.example.com now. " +
      "Read more about ABBA on Last.fm. User-contributed text is available under the Creative Commons By-SA License; additional terms may apply.";
    const text = cleanText(raw);
    expect(text).toContain("ABBA were a Swedish pop group & disco act.");
    expect(text).not.toMatch(/https?:|www\.|@|<|>|\*|var x|Read more|Creative Commons|additional terms/i);
    expect(text).toContain("Visit or mail now.");
  });

  it("treats runs of spaces as paragraph breaks", () => {
    expect(cleanText("First paragraph      Second one").split("\n")).toEqual(["First paragraph", "Second one"]);
  });

  it("decodes numeric and named entities", () => {
    expect(decodeEntities("Bj&#246;rk &quot;Homogenic&quot; &#x2013; 1997 &unknown;")).toBe('Björk "Homogenic" – 1997 &unknown;');
  });

  it("splits sentences at end marks and paragraph gaps", () => {
    expect(splitSentences("One here. Two there!\n Three\n\nFour")).toEqual(["One here.", "Two there!", "Three", "Four"]);
  });
});
