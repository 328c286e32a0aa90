/** A failure caused by the user's input or machine, with a message that names the cause and the fix. */
export class UserError extends Error {}
