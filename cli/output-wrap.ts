// Text for an 80-column terminal: words wrapped, continuation lines indented.
// (A path or URL longer than the width stays whole on its own line.)
export const TEXT_WIDTH = 80;

export function wrap(text: string, indent: string, width = TEXT_WIDTH, firstIndent = indent): string[] {
  const out: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty || !out.length) out.push(line);
  return out;
}
