#[global_allocator]
static ALLOCATOR: cleanup_lab::LabAllocator = cleanup_lab::LabAllocator;
