/** Types of the npm package `popular-english-words` (1.0.2 ships none): English words ordered by popularity. */
declare module 'popular-english-words' {
  export const words: {
    /** Every word of the list, most popular first. */
    getAll(): string[];
    getMostPopular(count: number): string[];
    getWordCount(): number;
  };
}
