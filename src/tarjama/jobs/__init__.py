"""Work over many documents: folder batches (local or Ray) and the translation memory."""
