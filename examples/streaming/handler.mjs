// An SSE token streamer, as a chat front end streams a model's answer: each token goes out
// as a Server-Sent Event the moment it exists, then `data: [DONE]`. Behind a Function URL in
// RESPONSE_STREAM mode a browser's EventSource shows the words as they come; buffered, it
// would see nothing until the last one.
//
// The event may say how long each token takes (delayMs, default 40) and how many to send
// (tokens, default all); as a Function URL event, through the query string (?delayMs=10).
const ANSWER =
  "Streaming sends every token the moment it is ready, so the first words reach the reader " +
  "long before the last ones are written.";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const options = { ...event, ...event?.queryStringParameters };
  const delayMs = Number(options.delayMs ?? 40);
  const tokens = ANSWER.split(/(?<= )/).slice(
    0,
    Number(options.tokens ?? Number.POSITIVE_INFINITY),
  );
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" },
  });
  for (const token of tokens) {
    stream.write(`data: ${JSON.stringify({ token })}\n\n`);
    await sleep(delayMs); // the model thinking about the next token
  }
  stream.write("data: [DONE]\n\n");
  stream.end();
});
