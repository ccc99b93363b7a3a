/**
 * Ingestion: the poll loop, the generator client, the CSV parser, and the poll's metrics and status.
 */
@NullMarked
package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.NullMarked;
