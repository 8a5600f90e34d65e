/** Citation.js ships no types; the tests use only its constructor and the CSL items it reads. */
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: string | object);
    data: unknown[];
  }
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
