// Example reviews, written for this page. Each shows something different about reading in order.
// `expected` is what a reader would say; when the model on screen disagrees, the page says so next to
// the verdict and why (example.why.<id>): a failure explained teaches more than a success shown.
export const EXAMPLES = [
  {
    id: 'positive',
    expected: 'positive',
    text: 'What a wonderful film. The cast is superb, the music is beautiful and the story is moving from the first scene to the last. I loved every minute of it and I would recommend it to anyone.',
  },
  {
    id: 'negative',
    expected: 'negative',
    text: 'Two hours I will never get back. The plot is predictable, the dialogue is lame and the acting is painfully flat. A boring, tedious mess and a total waste of a good cast.',
  },
  {
    id: 'mixed',
    expected: 'negative',
    text: 'The first hour is a delight: clever, funny and warm, with a brilliant lead. Then the script falls apart, the ending is a mess and the last scenes are dull and overlong.',
  },
  {
    id: 'sarcastic',
    expected: 'negative',
    text: 'Oh great, another masterpiece. I just love it when a film is two hours of people staring at walls. Truly the best nap I have had all year. Brilliant.',
  },
  {
    id: 'short',
    expected: 'negative',
    text: 'Not good.',
  },
];
