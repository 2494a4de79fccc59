// Written by hand with every generator: none of them reads the Link header.
// The next page's cursor is the `after` of the URL in `Link: <…>; rel="next"`.
export function nextAfter(link: string | null | undefined): string | undefined {
  const url = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];
  return url === undefined ? undefined : (new URL(url, 'http://base.invalid').searchParams.get('after') ?? undefined);
}

// Every page of the list from the first, following Link: `page(after)` asks
// for one page and answers its passengers' uuids and its Link header.
export async function walkPages(
  page: (after: string | undefined) => Promise<{ uuids: string[]; link: string | null | undefined }>,
): Promise<{ uuids: string[]; pages: number }> {
  const uuids: string[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const answer = await page(after);
    uuids.push(...answer.uuids);
    after = nextAfter(answer.link);
    pages += 1;
  } while (after !== undefined);
  return { uuids, pages };
}
