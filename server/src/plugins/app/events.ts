import fp from 'fastify-plugin';
import { EventBus } from '../../services/events.js';

export default fp(
  async (fastify) => {
    fastify.decorate(
      'events',
      new EventBus((event, err) => fastify.log.error({ err, event }, 'an event listener failed')),
    );
  },
  { name: 'events' },
);
