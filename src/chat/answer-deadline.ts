/**
 * The work's result if it settles within `ms`, else undefined (the work goes on). Chat platforms want a first
 * answer within a deadline (Slack 3 s, Discord 3 s): an answer ready in time travels in the first response, a
 * slower one is acknowledged first and delivered when it is ready.
 */
export async function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
