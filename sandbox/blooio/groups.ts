import { randomHex } from '../random.ts';

/** Unnamed groups created by multi-recipient sends, reused for the same participants. */
export class GroupRegistry {
  #byParticipants = new Map<string, string>();
  #participants = new Map<string, readonly string[]>();

  /** The group for these participants, creating it on first use. */
  resolve(participants: readonly string[]): { groupId: string; created: boolean } {
    const key = [...participants].sort().join(',');
    const existing = this.#byParticipants.get(key);
    if (existing !== undefined) return { groupId: existing, created: false };
    const groupId = `grp_${randomHex(8)}`;
    this.#byParticipants.set(key, groupId);
    this.#participants.set(groupId, [...participants]);
    return { groupId, created: true };
  }

  participants(groupId: string): readonly string[] | undefined {
    return this.#participants.get(groupId);
  }

  clear(): void {
    this.#byParticipants.clear();
    this.#participants.clear();
  }
}
