"""A call's recording: served with Range support, removed with the call and after retention."""
