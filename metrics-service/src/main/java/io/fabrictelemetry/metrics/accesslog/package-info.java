/**
 * One access-log line and the request metrics per request, recorded by one filter.
 */
@NullMarked
package io.fabrictelemetry.metrics.accesslog;

import org.jspecify.annotations.NullMarked;
