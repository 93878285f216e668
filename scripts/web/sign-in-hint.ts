import { DEVELOPMENT_API_KEY } from '../../config/env.ts';

/** How to sign in to the console, without printing a real key (only the public dev key shows). */
export function consoleSignIn(apiKey: string): string {
  return apiKey === DEVELOPMENT_API_KEY
    ? `sign in with the development API key ${DEVELOPMENT_API_KEY}`
    : 'sign in with the API_KEY this stack was started with';
}
