/**
 * `npx tsx scripts/words-list.ts`: writes src/data/words/vocabulary.txt, the words model's vocabulary (the 10,000 most
 * popular a-z words of 3 to 8 letters of the npm package popular-english-words, one per line, most popular first), the
 * compact file the page downloads on demand instead of the package's 2.3 MB list. tests/unit/words.test.ts checks that
 * the file equals this derivation.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWordData } from './lib/words-node';

/** Where the vocabulary file lives. */
export const VOCABULARY_FILE = join(import.meta.dirname, '..', 'src', 'data', 'words', 'vocabulary.txt');

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { vocabulary } = loadWordData();
  writeFileSync(VOCABULARY_FILE, `${vocabulary.join('\n')}\n`);
  console.log(`wrote ${VOCABULARY_FILE}: ${vocabulary.length} words`);
}
