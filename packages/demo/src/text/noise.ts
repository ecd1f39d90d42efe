/** What real scraped music text is full of: markup, links, bylines, boilerplate and asides.
 * The text pipeline's cleaner is expected to remove it. */
import type { Random } from "@deepcuts/models/core";
import { pick, uniformInt } from "../draw.ts";

const BLOGS = ["gorillavsbear", "thelineofbestfit", "basementtapes", "nightshiftnotes", "vinylhound", "kickdrumdiary", "hazyafternoons", "crateweekly"];
const HANDLES = ["admin", "marta_k", "djsleepless", "tom", "editorial", "guest writer", "nightowl88"];

const ASIDES = [
  "I listened to this three times on the bus this morning.",
  "Sorry for the late post, the site was down all week.",
  "Thanks to everyone who came to the meetup last Friday!",
  "My neighbour's dog apparently agrees.",
  "Tickets are still available, check the link below.",
  "Full disclosure: the label sent us a copy.",
  "Anyway, it is raining again here.",
  "More on this next week, promise.",
  "lol",
  "Not sure how I missed this one last year.",
];

function slug(random: Random): string {
  return Array.from({ length: uniformInt(random, 2, 4) }, () =>
    pick(["new", "music", "friday", "review", "premiere", "listen", "album", "week", "best", "picks"], random),
  ).join("-");
}

export function url(random: Random): string {
  return `https://${pick(BLOGS, random)}.example.com/${2020 + uniformInt(random, 0, 6)}/${slug(random)}?utm_source=feed`;
}

export function aside(random: Random): string {
  return pick(ASIDES, random);
}

/** Markup and bylines before the body. */
export function header(random: Random): string {
  const choices = [
    () =>
      `<p>Posted by ${pick(HANDLES, random)} on ${uniformInt(random, 1, 28)}/${uniformInt(random, 1, 12)}/${2020 + uniformInt(random, 0, 6)} | ${uniformInt(random, 0, 40)} comments</p>`,
    () => `<div class="post-body">`,
    () => `[Premiere]`,
    () => `<h2>New Music Friday</h2>`,
    () => "",
  ];
  return pick(choices, random)();
}

/** Links, share buttons and legal text after the body. */
export function footer(random: Random): string {
  const choices = [
    () => `Read more: ${url(random)}`,
    () => `<a href="${url(random)}">Stream it here</a>`,
    () => "Share this: Twitter | Facebook | Email",
    () => `© ${2020 + uniformInt(random, 0, 6)} ${pick(BLOGS, random)}. All rights reserved.`,
    () => "We use cookies to improve your experience. Accept all cookies?",
    () => "</div>",
    () => "",
  ];
  return pick(choices, random)();
}
