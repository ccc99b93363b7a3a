/**
 * The HTTP server's own limits and wiring: connections, idle and request deadlines, problems for the errors
 * Netty answers itself, and the order in which the routes are matched.
 */
@NullMarked
package io.fabrictelemetry.metrics.server;

import org.jspecify.annotations.NullMarked;
