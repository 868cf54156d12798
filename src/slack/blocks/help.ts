export const COMMAND = '/k8s-advisor';

export function usage(problem?: string): string {
  const lines = [
    ...(problem ? [`:warning: ${problem}`, ''] : []),
    `*${COMMAND}* helps your team decide between managed and self-hosted Kubernetes, security first.`,
    `• \`${COMMAND}\` or \`${COMMAND} start\`: start an assessment in a thread of this channel`,
    `• \`${COMMAND} digest daily 09:00\` (or \`weekly friday 16:00\`, \`now\`, \`status\`, \`off\`): a scheduled summary of this channel's assessments; \`${COMMAND} digest help\` for more`,
    `• \`${COMMAND} evidence\`: how to back your assessment with evidence from a cluster you already run`,
    `• \`${COMMAND} adr\`: the decision record (Markdown, MADR) of your latest completed assessment here, in its thread`,
    `• \`${COMMAND} export\`: everything stored about you, as JSON and Markdown in a direct message`,
    `• \`${COMMAND} forget-me\`: delete every assessment of yours (asks first)`,
    `• \`${COMMAND} help\`: show this help`,
    'Your assessments, and a button to start one in a direct message, are on my Home tab.',
    'Answer with the buttons, or reply in the thread with an option number, a name, a number, `skip`, `back` or `restart`.',
  ];
  return lines.join('\n');
}
