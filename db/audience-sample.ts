import type { Db } from './connect.ts';

export interface AudienceSample {
  /** Contacts in the audience. */
  size: number;
  /** One member's attributes (the first by contact id); undefined for an empty audience. */
  attributes: Record<string, string> | undefined;
}

/** What a campaign's messages are estimated from: the audience's size and one member. */
export async function audienceSample(db: Db, audienceId: string): Promise<AudienceSample> {
  const [audience, member] = await Promise.all([
    db.selectFrom('audiences').select('imported').where('id', '=', audienceId).executeTakeFirst(),
    db
      .selectFrom('audience_members')
      .innerJoin('contacts', 'contacts.id', 'audience_members.contact_id')
      .select('contacts.attributes')
      .where('audience_members.audience_id', '=', audienceId)
      .orderBy('audience_members.contact_id')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { size: audience?.imported ?? 0, attributes: member?.attributes };
}
