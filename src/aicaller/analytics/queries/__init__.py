"""The SQL aggregates of the reports and exports, one module per subject, scoped to one business."""
