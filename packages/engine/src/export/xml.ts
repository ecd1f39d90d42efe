// Characters XML 1.0 cannot carry at all (C0 controls but tab, line feed and carriage return; lone
// surrogates; U+FFFE/U+FFFF), and C1 controls, which parsers accept but no label needs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for an XML attribute or element: control characters stripped, markup escaped. */
export function xmlText(value: string): string {
  return value
    .replace(NOT_XML, "")
    .replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!)
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
