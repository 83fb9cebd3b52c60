const FIRST = ['Ada', 'Bruno', 'Chiara', 'Dmitri', 'Elif', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kwame', 'Lena'];
const LAST = ['Almeida', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ito', 'Jansen'];

/**
 * The names of a run's `count` bidders, all distinct: first and last names
 * in turn, then a number once every pair is used. A bidder keeps their name
 * for the whole run, so one who comes back is seen as the same person.
 */
export function bidderNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const first = FIRST[index % FIRST.length]!;
    const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
    const round = Math.floor(index / (FIRST.length * LAST.length));
    return round === 0 ? `${first} ${last}` : `${first} ${last} ${round + 1}`;
  });
}
