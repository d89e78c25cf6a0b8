// Small text helpers every layer shares.

/**
 * The first line of a text: a message's headline, its details on the lines after. A CRLF ends a line too, so a
 * Windows-made or HTTP text does not keep a stray carriage return.
 */
export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}
