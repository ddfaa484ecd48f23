/*
 * wl_data_device_manager: the selection (clipboard) between the presenter's clients. The
 * client with the focus sees the selection; drag-and-drop is refused (the source is
 * cancelled at once).
 */
#ifndef HF_DATA_DEVICE_H
#define HF_DATA_DEVICE_H

struct hf_compositor;
struct hf_seat;
struct hf_data_device_manager;

struct hf_data_device_manager *hf_data_device_manager_create(struct hf_compositor *compositor,
							     struct hf_seat *seat);
void hf_data_device_manager_destroy(struct hf_data_device_manager *m); /* NULL: no-op */

#endif
