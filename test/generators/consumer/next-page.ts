// Written by hand with every generator: none of them reads the Link header.
// The next page's cursor is the `after` of the URL in `Link: <…>; rel="next"`.
export function nextAfter(link: string | null | undefined): string | undefined {
  const url = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];
  return url === undefined ? undefined : (new URL(url, 'http://base.invalid').searchParams.get('after') ?? undefined);
}
