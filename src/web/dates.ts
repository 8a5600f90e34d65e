const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2 Apr 2007" from an ISO date, as much of it as is known ("Apr 2007", "16 May"), else the year. */
export function displayDate(date: string | null | undefined, year: number | null): string | null {
  const m = date ? /^(\d{4}|-)-?(\d{2})?(?:-(\d{2}))?$/.exec(date) : null;
  if (!m || !m[2]) return year === null ? null : String(year);
  const month = MONTHS[Number(m[2]) - 1];
  const parts = [m[3] ? String(Number(m[3])) : '', month, m[1] === '-' ? (year ?? '') : m[1]];
  return parts.filter(Boolean).join(' ');
}
