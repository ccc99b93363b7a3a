/**
 * The conventions both services follow, written once: how entity tags are made and compared, the one
 * time format of their answers, what a service says at startup about its configuration file, and the
 * Kafka payload topic's record format and setup (issue 23).
 */
@NullMarked
package io.fabrictelemetry.conventions;

import org.jspecify.annotations.NullMarked;
