//! What the rooms have in common: the Yew apps this module renders into
//! the page (the "Import from AWS" dialog, the policy checks, the
//! lifecycle panel), mounted into an element the main module keeps empty
//! for them, and the events on `window` by which they hand work back to
//! the main module (text in `detail`, as every call between the modules).

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use yew::{AppHandle, BaseComponent};

/// A room's app and the element it is rendered into.
pub type Mounted<C> = RefCell<Option<(AppHandle<C>, web_sys::Element)>>;

/// Sends the event `name` with `detail` to the main module.
pub fn send(name: &str, detail: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(detail));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}

fn host(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// Renders `props` in the element `host_id`: updates the app there, or
/// starts one when the element is new (the main module renders a new one
/// when a panel is folded and opened again). When the element is not in
/// the page yet (the main module asked while rendering it), tries once
/// more when the page has been drawn. False when there is none.
pub fn show_in<C>(
    app: &'static std::thread::LocalKey<Mounted<C>>,
    host_id: &'static str,
    props: C::Properties,
) -> bool
where
    C: BaseComponent,
    C::Properties: Clone,
{
    let Some(element) = host(host_id) else {
        gloo_timers::callback::Timeout::new(0, move || {
            if let Some(element) = host(host_id) {
                app.with(|a| mount(a, element, props));
            }
        })
        .forget();
        return false;
    };
    app.with(|a| mount(a, element, props));
    true
}

/// Takes tree id 1 before this module renders its first room.
///
/// Yew brands the elements of each app with the app's tree id, and an app
/// handles an event when the element nearest the target is branded with
/// its own id. Ids count from 1 in each wasm module, so the page's app is 1
/// and this module's first room would be 1 too: the page's app would then
/// take a room's events (inside `#app`) for its own and run its own
/// handlers for them. A throwaway app takes 1 here; the page has only one
/// app (`web/src/lib.rs`), so every room gets an id of its own.
pub fn reserve_main_tree_id() {
    thread_local! {
        static RESERVED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if RESERVED.with(|r| r.replace(true)) {
        return;
    }
    let Some(scratch) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("div").ok())
    else {
        return;
    };
    yew::Renderer::<Placeholder>::with_root(scratch)
        .render()
        .destroy();
}

/// Renders nothing (see [`reserve_main_tree_id`]).
#[yew::function_component]
fn Placeholder() -> yew::Html {
    yew::Html::default()
}

fn mount<C: BaseComponent>(app: &Mounted<C>, element: web_sys::Element, props: C::Properties) {
    reserve_main_tree_id();
    let mut app = app.borrow_mut();
    match app.as_mut() {
        Some((handle, root)) if root.is_same_node(Some(element.unchecked_ref())) => {
            handle.update(props)
        }
        _ => {
            if let Some((handle, _)) = app.take() {
                handle.destroy();
            }
            let handle = yew::Renderer::<C>::with_root_and_props(element.clone(), props).render();
            *app = Some((handle, element));
        }
    }
}
