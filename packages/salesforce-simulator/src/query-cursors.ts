/**
 * Server-side query cursors behind `nextRecordsUrl`: a query's result is fixed when it runs, then served page by
 * page from locators like `01gXXXXXXXXXXXXXXX-2000` (cursor id, dash, index of the next record).
 */
import { randomBytes } from 'node:crypto';
import { to18 } from './ids';
import type { FieldDef } from './records';
import type { SimFile } from './sim-file';

/** A query result awaiting its next pages. */
export interface Cursor {
  files: readonly SimFile[];
  fields: readonly FieldDef[];
  batchSize: number;
  lastUsedWallMs: number;
}

/** Salesforce lets an idle cursor live 15 minutes. */
const IDLE_MS = 15 * 60 * 1000;
/** Bound on open cursors (oldest dropped first), like the per-user limit on open query cursors. */
const MAX_CURSORS = 50;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Open cursors, by 18-character id. */
export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();

  /** Stores a result; returns the cursor id. */
  open(files: readonly SimFile[], fields: readonly FieldDef[], batchSize: number): string {
    this.prune();
    const bytes = randomBytes(10);
    const id = to18('01g5j' + Array.from(bytes, (b) => BASE62.charAt(b % 62)).join(''));
    this.cursors.set(id, { files, fields, batchSize, lastUsedWallMs: Date.now() });
    return id;
  }

  /** A live cursor by id; using it keeps it alive. */
  get(id: string): Cursor | undefined {
    const c = this.cursors.get(id);
    if (!c || Date.now() - c.lastUsedWallMs > IDLE_MS) {
      this.cursors.delete(id);
      return undefined;
    }
    c.lastUsedWallMs = Date.now();
    return c;
  }

  /** Forgets a cursor once its last page was served. */
  close(id: string): void {
    this.cursors.delete(id);
  }

  private prune(): void {
    for (const [id, c] of this.cursors) if (Date.now() - c.lastUsedWallMs > IDLE_MS) this.cursors.delete(id);
    while (this.cursors.size >= MAX_CURSORS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest === undefined) break;
      this.cursors.delete(oldest);
    }
  }
}
