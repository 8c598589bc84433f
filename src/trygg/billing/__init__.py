"""Premium billing: OCR references today; schedules, mandates and autogiro runs to come."""
