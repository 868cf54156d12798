export const COMMAND = '/k8s-advisor';

export function usage(problem?: string): string {
  const lines = [
    ...(problem ? [`:warning: ${problem}`, ''] : []),
    `*${COMMAND}* helps your team decide between managed and self-hosted Kubernetes, security first.`,
    `• \`${COMMAND}\` or \`${COMMAND} start\`: start an assessment in a thread of this channel`,
    `• \`${COMMAND} digest daily 09:00\` (or \`weekly friday 16:00\`, \`now\`, \`status\`, \`off\`): a scheduled summary of this channel's assessments; \`${COMMAND} digest help\` for more`,
    `• \`${COMMAND} help\`: show this help`,
    'Answer with the buttons, or reply in the thread with an option number, a name, a number, `skip`, `back` or `restart`.',
  ];
  return lines.join('\n');
}
